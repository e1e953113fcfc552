import { randomUUID } from 'node:crypto';
import { badRequest, invalid } from './status.js';
import { isRecord } from './store.js';

/** A core/v1 Event as stored; the fields a recorder sends are kept as they came. */
export interface StoredEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string; [field: string]: unknown };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; apiVersion?: string; resourceVersion?: string };
  reason?: string;
  message?: string;
  type?: string;
  [field: string]: unknown;
}

/**
 * Events in memory, so tests can check what a controller recorded. Only creation and listing are
 * served: no update, no aggregation, no expiry.
 */
export class EventStore {
  private readonly events: StoredEvent[] = [];
  private counter = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** POST: stores the event under `namespace`; a name is required, as kube-apiserver requires it. */
  create(namespace: string, body: unknown): StoredEvent {
    if (!isRecord(body) || !isRecord(body['metadata'])) throw badRequest('the body of the request is not an Event with metadata');
    const metadata = body['metadata'];
    const name = metadata['name'];
    if (typeof name !== 'string' || name === '') {
      throw invalid('Event', '', [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    }
    if (typeof metadata['namespace'] === 'string' && metadata['namespace'] !== '' && metadata['namespace'] !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    this.counter += 1;
    const stored = {
      ...body,
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { ...metadata, name, namespace, uid: randomUUID(), resourceVersion: String(this.counter), creationTimestamp: this.now().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    } as StoredEvent;
    this.events.push(structuredClone(stored));
    return stored;
  }

  /** Returns the stored events of `namespace`, or of all namespaces, oldest first. */
  list(namespace?: string): StoredEvent[] {
    return this.events.filter((event) => namespace === undefined || event.metadata.namespace === namespace).map((event) => structuredClone(event));
  }
}
