import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from './app.module';

describe('the all-in-one app', () => {
  let sut: INestApplication;
  let base: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    sut = moduleRef.createNestApplication({ logger: false });
    await sut.listen(0, '127.0.0.1');
    base = await sut.getUrl();
  });

  afterAll(() => sut.close());

  it('answers GET /health with its service name', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', service: 'baton' });
  });

  it('exposes Prometheus metrics with the baton_ prefix', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const body = await response.text();
    expect(body).toContain('baton_process_cpu_seconds_total{service="baton"}');
  });
});
