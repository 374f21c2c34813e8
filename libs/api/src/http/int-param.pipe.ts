import { BadRequestException, type PipeTransform } from '@nestjs/common';

/** The read model's `integer` columns (PostgreSQL int4): a larger number must be a 400, never reach SQL. */
export const MAX_INT32 = 2_147_483_647;

/**
 * A path parameter that must be a whole number in [min, MAX_INT32], as a
 * 400 naming it otherwise (Nest's `ParseIntPipe` lets 2147483648 through to
 * SQL, which answered 500).
 */
export class IntParamPipe implements PipeTransform<string, number> {
  constructor(
    private readonly name: string,
    private readonly min = 1,
  ) {}

  transform(value: string): number {
    const number = /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(number) || number < this.min || number > MAX_INT32) {
      const message = `${this.name} must be a whole number from ${this.min} to ${MAX_INT32}`;
      throw new BadRequestException({ message, errors: [{ path: `$.${this.name}`, message }] });
    }
    return number;
  }
}

/**
 * `@Transform(queryInteger)` for an optional integer in a query string: like
 * `@Type(() => Number)`, except that an empty value (`?limit=`) means the
 * parameter is absent (its default), as HTML forms and OpenAPI clients send
 * an unset field, rather than 0.
 */
export const queryInteger = ({ value }: { value: unknown }): unknown => {
  if (value === '') return undefined;
  // Digits only: `0.0` or `1e3` is not an integer as written, so it stays a string and `@IsInt` refuses it.
  if (typeof value === 'string') return /^-?\d+$/.test(value) ? Number(value) : value;
  return value;
};
