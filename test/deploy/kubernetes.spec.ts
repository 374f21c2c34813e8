import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';

// deploy/k8s cannot be applied here (no cluster); what the issue asks of it is checked on the parsed YAML.
const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
}
type Container = {
  name: string;
  image: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string> };
  volumeMounts?: { mountPath: string }[];
};
type PodSpec = { securityContext?: Record<string, unknown>; containers: Container[] };

const manifests = parseAllDocuments(read('deploy/k8s/baton.yaml')).map((doc) => doc.toJS() as Manifest);
const deployments = manifests.filter((m) => m.kind === 'Deployment');
const podSpec = (d: Manifest) => (d.spec as { template: { spec: PodSpec } }).template.spec;
const kustomization = parse(read('deploy/k8s/kustomization.yaml')) as {
  resources: string[];
  images: { name: string; newName: string; newTag: string }[];
};

describe('deploy/k8s', () => {
  it('runs one Deployment per process kind', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
      ['baton-api', 'baton-archiver', 'baton-engine', 'baton-executor', 'baton-projector'].sort(),
    );
  });

  it('names the image once, in kustomization.yaml: a registry, a repository and a version, never latest', () => {
    expect(kustomization.resources).toContain('baton.yaml');
    const [image] = kustomization.images;
    expect(kustomization.images).toHaveLength(1);
    expect(image.newName).toMatch(/^[a-z0-9.-]+\.[a-z]+\/[a-z0-9._/-]+$/); // host/path
    expect(image.newTag).toBe((JSON.parse(read('package.json')) as { version: string }).version);
    for (const d of deployments)
      for (const c of podSpec(d).containers)
        expect({ container: c.name, image: c.image }).toEqual({ container: c.name, image: image.name });
  });

  it('runs every container as a non-root user, read-only, without privileges or capabilities, with writable /tmp', () => {
    for (const d of deployments) {
      const pod = podSpec(d);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const c of pod.containers) {
        expect({ name: c.name, ...c.securityContext }).toMatchObject({
          name: c.name,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.volumeMounts?.map((m) => m.mountPath)).toEqual(
          expect.arrayContaining(['/tmp', '/var/lib/baton']),
        );
      }
    }
  });

  it('sets resource requests on every container and a PodDisruptionBudget on every Deployment', () => {
    for (const d of deployments)
      for (const c of podSpec(d).containers)
        expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    const budgets = manifests.filter((m) => m.kind === 'PodDisruptionBudget');
    const selects = (m: Manifest) => JSON.stringify((m.spec as { selector: unknown }).selector);
    for (const d of deployments) {
      expect({ deployment: d.metadata.name, budget: budgets.some((b) => selects(b) === selects(d)) }).toEqual(
        {
          deployment: d.metadata.name,
          budget: true,
        },
      );
    }
  });
});

describe('deploy/Dockerfile', () => {
  const dockerfile = read('deploy/Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('puts the baton CLI on PATH in the runtime image', () => {
    expect(runtime).toMatch(/^COPY bin bin$/m);
    expect(runtime).toMatch(/ln -s \/app\/bin\/baton\.js \/usr\/local\/bin\/baton/);
    expect(read('bin/baton.js')).toContain("require('../dist/apps/cli/src/main.js')");
  });

  it('runs as the numeric non-root user the manifests name (runAsNonRoot cannot verify a user name)', () => {
    expect(runtime).toMatch(/^USER 1000:1000$/m);
  });
});
