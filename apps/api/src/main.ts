import 'reflect-metadata';
import { configureApi } from '@baton/api';
import { bootstrapService, configOrExit } from '@baton/platform';
import { ApiAppModule } from './api-app.module';
import { loadApiProcessConfig } from './api.config';

const config = configOrExit(() => loadApiProcessConfig(process.env));
void bootstrapService(ApiAppModule.forConfig(config), {
  ...config,
  configure: (app) => {
    configureApi(app, config.api.http);
  },
});
