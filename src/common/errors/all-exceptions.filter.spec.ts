import { Controller, Get, HttpStatus, INestApplication, NotFoundException } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ErrorCode } from '../../contracts/error-code';
import { AppException } from './app-exception';
import { AllExceptionsFilter } from './all-exceptions.filter';

@Controller('probe')
class ProbeController {
  @Get('coded')
  coded() {
    throw new AppException(HttpStatus.TOO_MANY_REQUESTS, ErrorCode.TooManyRequests, 'slow down', { limit: 1 }, { 'Retry-After': '7' });
  }

  @Get('nest')
  nest() {
    throw new NotFoundException('gone');
  }

  @Get('bug')
  bug() {
    throw new Error('secret internals at /srv/app.ts:12');
  }

  @Get('duplicate')
  duplicate() {
    throw Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
  }
}

describe(AllExceptionsFilter.name, () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ProbeController],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  it('shapes a coded exception with its details and headers', async () => {
    const { body, headers } = await request(app.getHttpServer()).get('/probe/coded').expect(429);
    expect(body).toEqual({ statusCode: 429, code: 'TOO_MANY_REQUESTS', message: 'slow down', details: { limit: 1 }, correlationId: headers['x-request-id'] });
    expect(headers['retry-after']).toBe('7');
  });

  it('gives framework exceptions a code from their status', async () => {
    const { body } = await request(app.getHttpServer()).get('/probe/nest').expect(404);
    expect(body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'gone' });
  });

  it('answers an unexpected error with a bare 500 that reveals nothing but the correlation id', async () => {
    const { body } = await request(app.getHttpServer()).get('/probe/bug').set('X-Request-Id', 'trace-me').expect(500);
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error (correlation id trace-me)', correlationId: 'trace-me' });
  });

  it('turns a unique index violation into 409', async () => {
    expect((await request(app.getHttpServer()).get('/probe/duplicate').expect(409)).body.code).toBe('CONFLICT');
  });
});
