import { computed, linkedSignal, signal, WritableSignal } from '@angular/core';
import type { PageEvent } from '@angular/material/paginator';

/**
 * Where a paginated list stands (page size and offset) and how its MatPaginator moves it. With
 * `resetOn`, the list goes back to its first page whenever that changes (a search, a filter).
 */
export class Paging {
  readonly limit: WritableSignal<number>;
  readonly offset: WritableSignal<number>;
  readonly pageIndex = computed(() => this.offset() / this.limit());

  constructor(size: number | (() => number) = 25, resetOn?: () => unknown) {
    this.limit = typeof size === 'number' ? signal(size) : linkedSignal(size);
    this.offset = resetOn ? linkedSignal({ source: resetOn, computation: () => 0 }) : signal(0);
  }

  readonly turn = (event: PageEvent): void => {
    this.limit.set(event.pageSize);
    this.offset.set(event.pageIndex * event.pageSize);
  };
}
