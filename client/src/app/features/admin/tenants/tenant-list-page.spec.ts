import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { Page, Tenant } from '@contracts/tenants';
import { control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { TenantListPage } from './tenant-list-page';

const ACME: Tenant = {
  id: '65f000000000000000000001',
  slug: 'acme',
  name: 'Acme Corp',
  status: 'active',
  limits: { vcpu: 16, memoryMiB: 32768, storageGiB: 500, vms: 10 },
  createdAt: '2026-01-02T03:04:05.000Z',
};

describe(TenantListPage.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<TenantListPage>;
  let element: HTMLElement;

  const tenantRequest = () => backend.expectOne((request) => request.url === '/api/v1/admin/tenants');

  beforeEach(async () => {
    backend = setUpAdminTest();
    fixture = TestBed.createComponent(TenantListPage);
    element = fixture.nativeElement;
    await settle(fixture);
  });

  afterEach(() => backend.verify());

  it('loads the first page of tenants and shows each with its status and limits', async () => {
    const request = tenantRequest();
    expect(request.request.params.get('limit')).toBe('25');
    expect(request.request.params.get('offset')).toBe('0');
    expect(request.request.params.has('q')).toBe(false);
    request.flush({ items: [ACME], total: 1 } satisfies Page<Tenant>);
    await settle(fixture);

    const row = element.querySelector('tr.mat-mdc-row')!;
    expect(text(row)).toContain('Acme Corp');
    expect(text(row)).toContain('acme');
    expect(text(row)).toContain('active');
    expect(text(row)).toContain('16 vCPU · 32 GiB · 500 GiB · 10 VMs');
    expect(row.querySelector('a')!.getAttribute('href')).toBe(`/admin/tenants/${ACME.id}`);
  });

  it('searches by what is typed, once typing pauses', async () => {
    tenantRequest().flush({ items: [ACME], total: 1 });
    await settle(fixture);

    type(control('Search', element), 'ac');
    await settle(fixture, 350);
    const search = tenantRequest();
    expect(search.request.params.get('q')).toBe('ac');
    expect(search.request.params.get('offset')).toBe('0');
    search.flush({ items: [], total: 0 });
    await settle(fixture);

    expect(text(element)).toContain('No tenant matches “ac”.');
    expect(element.querySelector('tr.mat-mdc-row')).toBeNull();
  });

  it('says so when there are no tenants at all', async () => {
    tenantRequest().flush({ items: [], total: 0 });
    await settle(fixture);
    expect(text(element)).toContain('No tenants yet.');
  });

  it("shows the server's message when loading fails, and tries again on request", async () => {
    tenantRequest().flush(
      { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'The database is not reachable', correlationId: 'c1' },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await settle(fixture);
    const alert = element.querySelector('[role=alert]')!;
    expect(text(alert)).toContain('The database is not reachable');

    (alert.querySelector('button') as HTMLButtonElement).click();
    await settle(fixture);
    tenantRequest().flush({ items: [ACME], total: 1 });
    await settle(fixture);
    expect(element.querySelector('[role=alert]')).toBeNull();
    expect(text(element)).toContain('Acme Corp');
  });
});
