import 'reflect-metadata';
import { configureApi } from '@baton/api';
import { bootstrapService } from '@baton/platform';
import { AppModule } from './app.module';
import { loadConfig } from './baton.config';

const config = loadConfig();
void bootstrapService(AppModule.forOptions(config), {
  service: 'baton',
  defaultPort: config.port,
  configure: (app) => {
    configureApi(app);
  },
});
