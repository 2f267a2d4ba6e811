import { Module } from '@nestjs/common';
import { AdminEventsController, EventsController } from './events.controller';
import { EventsService } from './events.service';
import { PlatformEventRelay } from './platform-event-relay';

@Module({ controllers: [EventsController, AdminEventsController], providers: [EventsService, PlatformEventRelay], exports: [EventsService] })
export class EventsModule {}
