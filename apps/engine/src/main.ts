import 'reflect-metadata';
import { bootstrapService, configOrExit } from '@baton/platform';
import { EngineAppModule } from './engine-app.module';
import { loadEngineProcessConfig } from './engine.config';

const config = configOrExit(() => loadEngineProcessConfig(process.env));
void bootstrapService(EngineAppModule.forConfig(config), config);
