import 'reflect-metadata';
import { bootstrapService } from '@baton/platform';
import { EngineAppModule } from './engine-app.module';

void bootstrapService(EngineAppModule, { service: 'engine', defaultPort: 8081 });
