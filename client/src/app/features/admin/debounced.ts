import { Signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { debounceTime, distinctUntilChanged } from 'rxjs';

/** `source` once it has stopped changing for `ms`, so typing in a search box sends one request, not one per key. */
export function debounced<T>(source: Signal<T>, ms = 300): Signal<T> {
  return toSignal(toObservable(source).pipe(debounceTime(ms), distinctUntilChanged()), { initialValue: source() });
}
