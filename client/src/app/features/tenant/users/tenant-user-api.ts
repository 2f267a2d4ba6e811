import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CreateTenantUserRequest, TenantUser } from '@contracts/tenants';
import { firstValueFrom } from 'rxjs';

/** The tenant's users, as an owner manages them; the list itself is an httpResource on the page. */
@Injectable({ providedIn: 'root' })
export class TenantUserApi {
  private readonly http = inject(HttpClient);

  add(request: CreateTenantUserRequest): Promise<TenantUser> {
    return firstValueFrom(this.http.post<TenantUser>('/api/v1/users', request));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(`/api/v1/users/${id}`));
  }
}
