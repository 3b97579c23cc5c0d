import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ExecutionsModule } from '../executions/executions.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { SystemStatsController } from './system-stats.controller.js';
import { SystemStatsService } from './system-stats.service.js';

@Module({
  imports: [JobsModule, ExecutionsModule],
  controllers: [MetricsController, SystemStatsController],
  providers: [MetricsService, MetricsTokenGuard, SystemStatsService],
  exports: [MetricsService],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
