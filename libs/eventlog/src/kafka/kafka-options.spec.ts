import { createKafkaClient, resolveKafkaOptions, type KafkaLogEntry } from './kafka-options';

describe('kafkajs logs', () => {
  function given() {
    const entries: KafkaLogEntry[] = [];
    const kafka = createKafkaClient(resolveKafkaOptions({ logSink: (entry) => entries.push(entry) }));
    return { logger: kafka.logger(), entries };
  }

  it('reach the sink with their level, namespace and fields', () => {
    const { logger, entries } = given();
    logger.namespace('Connection').error('Connection error: ECONNREFUSED', { broker: '127.0.0.1:9092' });
    logger.namespace('Consumer').warn('Consumer crashed');
    expect(entries).toEqual([
      {
        level: 'error',
        namespace: 'Connection',
        message: 'Connection error: ECONNREFUSED',
        fields: { broker: '127.0.0.1:9092' },
      },
      { level: 'warn', namespace: 'Consumer', message: 'Consumer crashed', fields: {} },
    ]);
  });

  it('come at debug when they are routine for a group member or a transactional producer', () => {
    const { logger, entries } = given();
    logger.namespace('Connection').error('Response Heartbeat(key: 12, version: 3)', { error: 'rebalancing' });
    expect(entries.map((entry) => entry.level)).toEqual(['debug']);
  });
});
