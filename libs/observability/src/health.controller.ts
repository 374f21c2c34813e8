import { Controller, Get, HttpException, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthService, type HealthReport } from './health.service';

/** `/health/live` and `/health/ready` (see `HealthService`); `/health` stays as liveness for existing callers. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness (as /health/live), for existing callers' })
  check(): HealthReport {
    return this.health.live();
  }

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Answers while the process runs' })
  live(): HealthReport {
    return this.health.live();
  }

  /** 200 when ready, 503 with the failing checks otherwise (what a load balancer or Kubernetes reads). */
  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Whether the process can do its job, with every check',
  })
  @ApiOkResponse({ description: 'Ready: every check passes' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the report names the failing checks' })
  async ready(): Promise<HealthReport> {
    const report = await this.health.ready();
    if (report.status !== 'ok') throw new HttpException(report, HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
