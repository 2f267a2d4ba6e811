import { Resource } from '@angular/core';

/** A resource's value, or undefined while it has none: `value()` itself throws once a resource has failed. */
export function valueOf<T>(resource: Resource<T>): T | undefined {
  return resource.hasValue() ? resource.value() : undefined;
}
