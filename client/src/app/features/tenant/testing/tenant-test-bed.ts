import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider, signal } from '@angular/core';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';
import type { Me, TenantRole } from '@contracts/auth';
import { LiveEvents } from '../../../core/live-events';
import { Session } from '../../../core/session';
import { FakeLiveEvents } from './fake-live-events';

/** The parts of Session the tenant pages read. */
export function fakeSession(role: TenantRole = 'owner') {
  const me: Me = { id: 'u1', email: 'owner@acme.test', scope: 'tenant', role, tenant: { id: 't1', slug: 'acme', name: 'Acme' } };
  return { me: signal(me), readOnly: signal(role === 'viewer'), signOut: () => Promise.resolve() };
}

/** HTTP through HttpTestingController, live events from `events`, a session of `role`, no animations. */
export function tenantProviders(events: FakeLiveEvents, role: TenantRole = 'owner'): (Provider | EnvironmentProviders)[] {
  return [
    provideRouter([]),
    provideHttpClient(),
    provideHttpClientTesting(),
    { provide: LiveEvents, useValue: events },
    { provide: Session, useValue: fakeSession(role) },
    { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
  ];
}
