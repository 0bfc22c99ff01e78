// Lookups by a name a user wrote (a kind, a node name, a routerMAC key, a
// verb): only the record's own keys count, so "constructor" or "__proto__"
// never reaches Object.prototype.
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
