import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** Labels by route pattern (`/api/v1/tenants/:id`), never the raw URL, to keep label cardinality bounded. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.metrics.httpDuration.startTimer();
    response.once('finish', () => {
      const route = matchedRoute(request);
      stop({ method: request.method, route, status_code: String(response.statusCode) });
    });
    next();
  }
}

/** Nest answers unknown paths from a catch-all `{*path}` route; those count as one `unmatched` label. */
function matchedRoute(request: Request): string {
  const path = request.route ? `${request.baseUrl}${String(request.route.path)}` : '';
  return path && !path.includes('{*') ? path : 'unmatched';
}
