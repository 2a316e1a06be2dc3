/**
 * One object store in its own IndexedDB database, as a function that runs one transaction on it and resolves once
 * the transaction has committed (so a write that fails for lack of space is an error, not a silent loss). Kept
 * archives (runs, the ONNX judge) each own a database, so neither schema has to migrate for the other.
 */
export type StoreTransaction = <T>(mode: IDBTransactionMode, body: (s: IDBObjectStore) => IDBRequest<T>) => Promise<T>;

/** An IndexedDB request as a promise. */
function idbRequest<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(req.error?.message ?? 'IndexedDB request failed'));
  });
}

/** `params` as for createObjectStore (e.g. a keyPath); `what` names the kept things in the no-IndexedDB error. */
export function idbStore(dbName: string, storeName: string, what: string, params?: IDBObjectStoreParameters): StoreTransaction {
  return async (mode, body) => {
    if (typeof indexedDB === 'undefined') throw new Error(`this browser has no IndexedDB, so ${what} cannot be kept`);
    const open = indexedDB.open(dbName, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(storeName, params);
    const db = await idbRequest(open);
    try {
      const tx = db.transaction(storeName, mode);
      const result = idbRequest(body(tx.objectStore(storeName)));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(new Error(tx.error?.message ?? 'IndexedDB transaction failed'));
        tx.onabort = () => reject(new Error(tx.error?.message ?? 'IndexedDB transaction aborted (storage full?)'));
      });
      return await result;
    } finally {
      db.close();
    }
  };
}
