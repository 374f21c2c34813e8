export { importMaestro } from './import-maestro';
export type { MaestroImport } from './import-maestro';
export type { ImportIssue } from './report';
export { translateSel } from './sel/sel-to-cel';
export type { CelTranslation } from './sel/sel-to-cel';
export { renderBatonYaml, summarizeIssues } from './render';
