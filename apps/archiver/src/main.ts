import 'reflect-metadata';
import { bootstrapService, configOrExit } from '@baton/platform';
import { ArchiverAppModule } from './archiver-app.module';
import { loadArchiverProcessConfig } from './archiver.config';

const config = configOrExit(() => loadArchiverProcessConfig(process.env));
void bootstrapService(ArchiverAppModule.forConfig(config), config);
