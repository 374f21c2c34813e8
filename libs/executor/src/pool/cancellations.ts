import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { decodeMessage, type Decoded, type StepCancellation } from '@baton/contracts';

/** Edge validation of `baton.step-cancellations` records (written by the engine). */
class StepCancellationDto {
  @IsIn([1]) schemaVersion!: 1;
  @IsString() @MinLength(1) @MaxLength(200) runId!: string;
  @IsString() @MinLength(1) stepId!: string;
  @IsInt() @Min(1) attempt!: number;
  @IsString() reason!: string;
  @IsOptional() @IsString() @MinLength(1) executorId?: string;
}

export function decodeCancellation(value: string | null): Decoded<StepCancellation> {
  return decodeMessage(StepCancellationDto, value);
}

/**
 * The attempts cancelled recently, so a task still queued when its
 * cancellation went by (the engine also cancels `ready` steps) is skipped
 * instead of run for nothing. Bounded: the oldest keys are forgotten first;
 * forgetting one only costs a useless run whose reports the engine refuses.
 */
export class RecentlyCancelled {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  add(key: string): void {
    this.keys.delete(key);
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }
}
