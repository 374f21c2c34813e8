import 'reflect-metadata';
import { bootstrapService, configOrExit, loadServiceConfig } from '@baton/platform';
import { ProjectorAppModule } from './projector-app.module';

const config = configOrExit(() => loadServiceConfig(process.env, 'projector', 8082));
void bootstrapService(ProjectorAppModule.forConfig(config), config);
