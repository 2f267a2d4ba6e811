import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EventsModule } from '../events/events.module';
import { TaskRecord, TaskSchema } from './task.schemas';
import { AdminTasksController, TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({
  imports: [EventsModule, MongooseModule.forFeature([{ name: TaskRecord.name, schema: TaskSchema }])],
  controllers: [TasksController, AdminTasksController],
  providers: [TasksService],
  exports: [TasksService],
})
export class TasksModule {}
