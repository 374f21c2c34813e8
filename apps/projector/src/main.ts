import 'reflect-metadata';
import { bootstrapService } from '@baton/platform';
import { ProjectorAppModule } from './projector-app.module';

void bootstrapService(ProjectorAppModule, { service: 'projector', defaultPort: 8082 });
