import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { TenantUsers } from './tenant-users';

const TENANT_ID = '65f000000000000000000001';
const USERS = `/api/v1/admin/tenants/${TENANT_ID}/users`;

describe(TenantUsers.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TenantUsers>;
  let element: HTMLElement;

  beforeEach(async () => {
    backend = setUpAdminTest();
    fixture = TestBed.createComponent(TenantUsers);
    fixture.componentRef.setInput('tenantId', TENANT_ID);
    element = fixture.nativeElement;
    await settle(fixture);
    backend.expectOne((request) => request.url === USERS).flush({ items: [], total: 0 });
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  it('adds a user with email, password and the chosen role, then reloads the list', async () => {
    expect(text(element)).toContain('No users yet: add an owner.');
    type(control('Email', element), 'ops@acme.test');
    type(control('Password', element), 'correct horse battery');
    control<HTMLElement>('Role', element).click();
    await settle(fixture);
    Array.from(document.querySelectorAll<HTMLElement>('mat-option'))
      .find((option) => text(option).trim() === 'owner')!
      .click();
    await settle(fixture);
    button('Add', element).click();
    await settle(fixture);

    const add = backend.expectOne((request) => request.url === USERS && request.method === 'POST');
    expect(add.request.body).toEqual({ email: 'ops@acme.test', password: 'correct horse battery', role: 'owner' });
    add.flush({ id: 'u1', email: 'ops@acme.test', role: 'owner', createdAt: '2026-03-01T00:00:00.000Z' });
    await settle(fixture);
    backend
      .expectOne((request) => request.url === USERS && request.method === 'GET')
      .flush({ items: [{ id: 'u1', email: 'ops@acme.test', role: 'owner', createdAt: '2026-03-01T00:00:00.000Z' }], total: 1 });
    await settle(fixture);
    expect(text(element.querySelector('table')!)).toContain('ops@acme.test');
    expect(control('Email', element).value).toBe('');
  });

  it('keeps a short password from being sent', async () => {
    type(control('Email', element), 'ops@acme.test');
    type(control('Password', element), 'short');
    button('Add', element).click();
    await settle(fixture);
    backend.expectNone((request) => request.method === 'POST');
    expect(text(element.querySelector('[role=alert]')!)).toContain('at least 12 characters');
  });
});
