import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { QueueStatsRepository } from './queue-stats.repository.js';
import { SystemStatsController } from './system-stats.controller.js';
import { SystemStatsService } from './system-stats.service.js';

@Module({
  controllers: [MetricsController, SystemStatsController],
  providers: [MetricsService, MetricsTokenGuard, QueueStatsRepository, SystemStatsService],
  exports: [MetricsService, QueueStatsRepository],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
