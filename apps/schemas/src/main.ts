import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSchemas, schemaText } from './record-schemas';

// `npm run schemas`: writes schemas/<record>.json from the DTOs (commit the result).
const dir = join(__dirname, '..', '..', '..', '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of renderSchemas()) {
  writeFileSync(join(dir, `${name}.json`), schemaText(schema));
  console.log(`schemas/${name}.json`);
}
