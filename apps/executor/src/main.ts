import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { bootstrapService } from '@baton/platform';
import { ExecutorAppModule } from './executor-app.module';

@Module({ imports: [ExecutorAppModule.forSettings()] })
class ExecutorMain {}

void bootstrapService(ExecutorMain, { service: 'executor', defaultPort: 8083 });
