// The process the crash test kills. Plain JavaScript so it needs no build:
// it loads the TypeScript sources through a tiny require hook over
// `typescript.transpileModule` (types are checked elsewhere, by tsc).
//
//   node crash-child.js <dir> run <generation>   consume + produce until killed
//   node crash-child.js <dir> drain              consume until every input and output offset is committed, then exit
//
// Retention keeps only the newest RETAIN_RECORDS records beyond what the two
// groups have committed, and the file is rewritten often, so kills land in
// trims and rewrites too. An 'auditor' group reads every output (started
// first, so no output is written before it is a group of the topic).
//
// stdout protocol, one line per fact, written synchronously after it became true:
//   READY                    the consumers are running
//   A <value>                an input record was acknowledged by `send`
//   C <p> <offset>           a transaction committed input offset <offset> of partition <p>
//   O <p> <offset> <value>   the auditor read output <offset> of partition <p> (again after a kill, maybe)
//   DONE                     drained and closed
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};

const { EmbeddedEventLog } = require('../embedded-event-log.ts');

const [dir, mode, generation] = process.argv.slice(2);
const PARTITIONS = 4;
const RETAIN_RECORDS = 10;
const say = (line) => fs.writeSync(1, `${line}\n`);

async function main() {
  const log = await EmbeddedEventLog.open({
    dir,
    retainRecords: RETAIN_RECORDS,
    compactThresholdBytes: 64 * 1024,
    onWarning: (message) => fs.writeSync(2, `${message}\n`),
  });
  await log.ensureTopics([
    { name: 'input', partitions: PARTITIONS },
    { name: 'output', partitions: PARTITIONS },
  ]);
  const auditor = log.consumer({
    groupId: 'auditor',
    topics: ['output'],
    eachBatch: async ({ partition, records }) => {
      for (const record of records) say(`O ${partition} ${record.offset} ${record.value}`);
      await auditor.commit([{ topic: 'output', partition, offset: records[records.length - 1].offset + 1 }]);
    },
  });
  await auditor.start();
  const tx = await log.transactionalProducer('processor');
  const consumer = log.consumer({
    groupId: 'processor',
    topics: ['input'],
    eachBatch: async ({ partition, records }) => {
      // One transaction per record: the output and the input offset, all or nothing.
      for (const record of records) {
        await tx.commit({
          records: [
            { topic: 'output', key: record.key, value: `${partition}:${record.offset}:${record.value}` },
          ],
          offsets: { groupId: 'processor', topic: 'input', partition, offset: record.offset + 1 },
        });
        say(`C ${partition} ${record.offset + 1}`);
      }
    },
  });
  await consumer.start();
  say('READY');

  if (mode === 'run') {
    const producer = await log.producer();
    for (let index = 0; ; index += 1) {
      const count = 1 + (index % 3);
      const values = Array.from({ length: count }, (_, offset) => `${generation}:${index}:${offset}`);
      await producer.send(values.map((value) => ({ topic: 'input', key: `run-${index % 97}`, value })));
      for (const value of values) say(`A ${value}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  const drained = (group, topic) => {
    for (let partition = 0; partition < PARTITIONS; partition += 1) {
      const { end } = log.logOffsets(topic, partition);
      if ((log.committedOffset(group, topic, partition) ?? 0) < end) return false;
    }
    return true;
  };
  // Outputs are all written once every input is committed (one transaction each).
  while (!drained('processor', 'input')) await new Promise((resolve) => setTimeout(resolve, 20));
  while (!drained('auditor', 'output')) await new Promise((resolve) => setTimeout(resolve, 20));
  await log.close();
  say('DONE');
}

main().catch((error) => {
  fs.writeSync(2, `${error && error.stack}\n`);
  process.exit(1);
});
