// class-transformer ships the storage class-validator-jsonschema needs (to follow @Type) without typings for the CommonJS path.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
