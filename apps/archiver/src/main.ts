import 'reflect-metadata';
import { bootstrapService } from '@baton/platform';
import { ArchiverAppModule } from './archiver-app.module';

void bootstrapService(ArchiverAppModule, { service: 'archiver', defaultPort: 8084 });
