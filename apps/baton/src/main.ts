import 'reflect-metadata';
import { configureApi } from '@baton/api';
import { bootstrapService, configOrExit } from '@baton/platform';
import { AppModule } from './app.module';
import { loadConfig } from './baton.config';

const config = configOrExit(() => loadConfig(process.env));
void bootstrapService(AppModule.forOptions(config), {
  ...config,
  configure: (app) => {
    configureApi(app, config.api.http);
  },
});
