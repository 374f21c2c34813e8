import 'reflect-metadata';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

/**
 * Longest id Baton accepts where a key or a principal is named (run ids,
 * executor ids, `by`): the ids it makes itself are far shorter, and a bound
 * keeps one record from bloating every event it is copied into.
 */
export const MAX_ID_LENGTH = 200;

/**
 * Longest command id. Larger than `MAX_ID_LENGTH` because Baton derives
 * command ids from other ids (`signal/<signalId>/<stepId>/<attempt>`, a
 * child's ids): the run-commands topic has accepted 512 since it was first
 * validated, and the workflow queue's 200 never refused anything its
 * writers (the API, admission, the engine) wrote, so 512 for both refuses
 * nothing accepted before.
 */
export const MAX_COMMAND_ID_LENGTH = 512;

/**
 * What every command on a keyed command topic carries (`baton.run-commands`,
 * `baton.workflow-commands`): its id (named by a `CommandRejected`), its
 * time (the writer stamps its own over it) and who asked.
 */
export class CommandMetadataDto {
  @IsString() @MinLength(1) @MaxLength(MAX_COMMAND_ID_LENGTH) commandId!: string;
  @IsInt() @Min(0) at!: number;
  /** The principal that asked (audit trail); optional, absent on platform commands. */
  @IsOptional() @IsString() @MinLength(1) @MaxLength(MAX_ID_LENGTH) by?: string;
}
