import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { stickyAssignment, type TopicAssignment } from './sticky-assignment';

export const STICKY_ASSIGNER_NAME = 'BatonStickyAssigner';

/**
 * `stickyAssignment` as a kafkajs partition assigner. Each member puts what it
 * owns now into its JoinGroup metadata (`userData`, JSON); the leader reads
 * every member's and assigns. Listed before round-robin, so a group whose
 * members do not all speak it yet (a rolling upgrade) falls back to
 * round-robin.
 */
export function stickyAssigner(ownedNow: () => TopicAssignment): PartitionAssigner {
  return ({ cluster }) => ({
    name: STICKY_ASSIGNER_NAME,
    version: 0,
    async assign({ members }) {
      const decoded = members.map(({ memberId, memberMetadata }) => {
        const metadata = AssignerProtocol.MemberMetadata.decode(memberMetadata);
        return { memberId, topics: metadata?.topics ?? [], owned: parseOwned(metadata?.userData) };
      });
      const partitionsOf = (topic: string) =>
        cluster.findTopicPartitionMetadata(topic).map((metadata) => metadata.partitionId);
      const result = stickyAssignment(decoded, partitionsOf);
      return [...result].map(([memberId, assignment]) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment,
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      const userData = Buffer.from(JSON.stringify(ownedNow()));
      return {
        name: STICKY_ASSIGNER_NAME,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData }),
      };
    },
  });
}

/** A member's report of what it owns; anything unreadable counts as nothing (it only costs stickiness). */
function parseOwned(userData: Buffer | undefined): TopicAssignment {
  if (!userData || userData.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(userData.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object') return {};
    const owned: Record<string, number[]> = {};
    for (const [topic, partitions] of Object.entries(parsed as Record<string, unknown>)) {
      if (Array.isArray(partitions))
        owned[topic] = partitions.filter((p): p is number => Number.isInteger(p));
    }
    return owned;
  } catch {
    return {};
  }
}
