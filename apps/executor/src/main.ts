import 'reflect-metadata';
import { bootstrapService, configOrExit } from '@baton/platform';
import { ExecutorAppModule, loadExecutorProcessConfig } from './executor-app.module';

const config = configOrExit(() => loadExecutorProcessConfig(process.env));
void bootstrapService(ExecutorAppModule.forConfig(config), config);
