import 'reflect-metadata';
import { configureApi } from '@baton/api';
import { bootstrapService } from '@baton/platform';
import { ApiAppModule } from './api-app.module';

void bootstrapService(ApiAppModule, {
  service: 'api',
  defaultPort: 8080,
  configure: (app) => {
    configureApi(app);
  },
});
