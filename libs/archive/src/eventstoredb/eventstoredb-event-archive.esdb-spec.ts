import { describeEventArchiveContract } from '../event-archive.contract';
import { EventStoreDbEventArchive } from './eventstoredb-event-archive';

// The contract against a real EventStoreDB server. Run only by the `esdb` jest project
// (`npm run test:esdb`), never by `unit` or `int`: no server can be installed where CI runs.
// The server is named by BATON_TEST_EVENTSTORE_URL; without it the suite FAILS (it never skips):
//   docker compose -f deploy/docker-compose.yml --profile eventstore up -d eventstore
//   BATON_TEST_EVENTSTORE_URL='esdb://127.0.0.1:2113?tls=false' npm run test:esdb
// Run ids are unique per suite run, so a server that keeps earlier runs' streams is fine.
const url = process.env.BATON_TEST_EVENTSTORE_URL;

jest.setTimeout(60_000);

describeEventArchiveContract('EventStoreDB adapter', {
  open: async () => {
    if (!url) {
      throw new Error(
        'BATON_TEST_EVENTSTORE_URL is not set: start EventStoreDB (docs/archive.md) and point it there, ' +
          "e.g. BATON_TEST_EVENTSTORE_URL='esdb://127.0.0.1:2113?tls=false'",
      );
    }
    return EventStoreDbEventArchive.connect(url);
  },
});
