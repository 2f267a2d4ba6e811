import { ChangeDetectionStrategy, Component, effect, ElementRef, input, OnDestroy, viewChild } from '@angular/core';
import { Chart, ChartConfiguration, registerables } from 'chart.js';

Chart.register(...registerables);

/** A Chart.js chart; a new `config` updates it in place. */
@Component({
  selector: 'app-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<canvas #canvas role="img" [attr.aria-label]="label()"></canvas>`,
  styles: `
    :host {
      display: block;
      position: relative;
      height: 240px;
    }
  `,
})
export class ChartView implements OnDestroy {
  readonly config = input.required<ChartConfiguration>();
  readonly label = input('Chart');
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart?: Chart;

  constructor() {
    effect(() => {
      const config = this.config();
      const textColor = getComputedStyle(document.documentElement).getPropertyValue('--mat-sys-on-surface').trim() || '#444';
      Chart.defaults.color = textColor;
      const options = { responsive: true, maintainAspectRatio: false, animation: false as const, ...config.options };
      if (!this.chart) {
        this.chart = new Chart(this.canvas().nativeElement, { ...config, options });
        return;
      }
      this.chart.data = config.data;
      this.chart.options = options;
      this.chart.update();
    });
  }

  ngOnDestroy(): void {
    this.chart?.destroy();
  }
}
