import { TestBed } from '@angular/core/testing';
import { UsageBar } from './usage-bar';

describe('UsageBar', () => {
  it('shows used and held as parts of the limit, never past it', async () => {
    const fixture = TestBed.createComponent(UsageBar);
    fixture.componentRef.setInput('label', 'vCPU');
    fixture.componentRef.setInput('used', 6);
    fixture.componentRef.setInput('held', 6);
    fixture.componentRef.setInput('limit', 8);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    expect(element.textContent).toContain('6 used · 6 held · 8 limit');
    expect((element.querySelector('.used') as HTMLElement).style.width).toBe('75%');
    expect((element.querySelector('.held') as HTMLElement).style.width).toBe('25%');
    expect(element.querySelector('[role=meter]')?.getAttribute('aria-valuemax')).toBe('8');
  });
});
