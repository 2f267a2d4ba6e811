import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { Image } from '@contracts/images';
import type { Tenant } from '@contracts/tenants';
import { button, control, settle, setUpAdminTest, text, type } from '../testing/admin-testing';
import { ImageDialog, ImageDialogData } from './image-dialog';

const ACME: Tenant = {
  id: '65f000000000000000000001',
  slug: 'acme',
  name: 'Acme Corp',
  status: 'active',
  limits: { vcpu: 2, memoryMiB: 4096, storageGiB: 50, vms: 1 },
  createdAt: '2026-01-02T03:04:05.000Z',
};
const UBUNTU: Image = {
  id: '65f0000000000000000000e1',
  name: 'ubuntu-24.04',
  os: 'linux',
  generation: 2,
  fileName: 'ubuntu-24.04.vhdx',
  minDiskGiB: 10,
  defaultUser: 'ubuntu',
  cloudInit: true,
  visibility: 'tenants',
  tenantIds: [ACME.id],
  hosts: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe(ImageDialog.name, () => {
  let backend: HttpTestingController;
  let fixture: ComponentFixture<ImageDialog>;
  let element: HTMLElement;
  let close: ReturnType<typeof vi.fn>;

  async function open(data: ImageDialogData): Promise<void> {
    close = vi.fn();
    backend = setUpAdminTest([
      { provide: MAT_DIALOG_DATA, useValue: data },
      { provide: MatDialogRef, useValue: { close } },
    ]);
    fixture = TestBed.createComponent(ImageDialog);
    element = fixture.nativeElement;
    await settle(fixture);
  }

  afterEach(() => backend.verify());

  it('creates a public image without the optional fields left empty', async () => {
    await open({ tenants: new Map() });
    type(control('Name', element), 'debian-12');
    type(control('File name', element), 'debian-12.vhdx');
    type(control('Minimum disk (GiB)', element), '8');
    button('Create', element).click();
    await settle(fixture);

    const create = backend.expectOne('/api/v1/admin/images');
    expect(create.request.method).toBe('POST');
    expect(create.request.body).toEqual({ name: 'debian-12', fileName: 'debian-12.vhdx', os: 'linux', generation: 2, minDiskGiB: 8, cloudInit: true, visibility: 'public' });
    create.flush({ ...UBUNTU, name: 'debian-12' });
    await settle(fixture);
    expect(close).toHaveBeenCalled();
  });

  it('edits an image shown to chosen tenants: patches every field, an emptied user as null', async () => {
    await open({ image: UBUNTU, tenants: new Map([[ACME.id, ACME]]) });
    expect(text(element)).toContain('Edit ubuntu-24.04');
    expect(text(element.querySelector('mat-chip-set')!)).toContain('Acme Corp');
    type(control('Default user', element), '');
    button('Save', element).click();
    await settle(fixture);

    const patch = backend.expectOne(`/api/v1/admin/images/${UBUNTU.id}`);
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({
      name: 'ubuntu-24.04',
      fileName: 'ubuntu-24.04.vhdx',
      os: 'linux',
      generation: 2,
      minDiskGiB: 10,
      cloudInit: true,
      visibility: 'tenants',
      tenantIds: [ACME.id],
      defaultUser: null,
    });
    patch.flush({ ...UBUNTU, defaultUser: null });
    await settle(fixture);
  });

  it("shows the server's message when it refuses", async () => {
    await open({ tenants: new Map() });
    type(control('Name', element), 'debian-12');
    type(control('File name', element), 'debian-12.vhdx');
    button('Create', element).click();
    await settle(fixture);
    backend
      .expectOne('/api/v1/admin/images')
      .flush({ statusCode: 409, code: 'CONFLICT', message: "An image named 'debian-12' already exists", correlationId: 'c1' }, { status: 409, statusText: 'Conflict' });
    await settle(fixture);
    expect(text(element.querySelector('[role=alert]')!)).toContain("An image named 'debian-12' already exists");
    expect(close).not.toHaveBeenCalled();
  });
});
