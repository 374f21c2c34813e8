import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { HealthService, type HealthReport } from './health.service';

/** `/health/live` and `/health/ready` (see `HealthService`); `/health` stays as liveness for existing callers. */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  check(): HealthReport {
    return this.health.live();
  }

  @Get('live')
  live(): HealthReport {
    return this.health.live();
  }

  /** 200 when ready, 503 with the failing checks otherwise (what a load balancer or Kubernetes reads). */
  @Get('ready')
  async ready(): Promise<HealthReport> {
    const report = await this.health.ready();
    if (report.status !== 'ok') throw new HttpException(report, HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
