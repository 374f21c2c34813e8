import { Injectable } from '@nestjs/common';

export interface HealthReport {
  readonly status: 'ok';
  readonly service: string;
  readonly uptimeSeconds: number;
}

/** What `GET /health` answers. Components that can be unhealthy register checks here as they arrive. */
@Injectable()
export class HealthService {
  private readonly startedAt = process.hrtime.bigint();

  constructor(private readonly service: string) {}

  report(): HealthReport {
    const uptimeSeconds = Number(process.hrtime.bigint() - this.startedAt) / 1e9;
    return { status: 'ok', service: this.service, uptimeSeconds: Math.round(uptimeSeconds * 1000) / 1000 };
  }
}
