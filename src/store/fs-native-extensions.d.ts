// The part of fs-native-extensions this project uses (the package ships no types).
declare module "fs-native-extensions" {
  /** Takes an exclusive lock on the open file at once; false when another open file description holds one. */
  export function tryLock(fd: number): boolean;
}
