/**
 * The timeline's time axis (d3-axis). Drag across it to zoom to a range
 * (d3-brush); the wheel over it zooms around the pointer.
 */
import React, { useEffect, useRef } from 'react';
import { axisTop } from 'd3-axis';
import { brushX, D3BrushEvent } from 'd3-brush';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { CSS } from './classes';
import { formatDurationMs } from '../trace';
import { TimeWindow, zoomWindow } from './timeline';

/** Props of {@link TimelineAxis}. */
export interface ITimelineAxisProps {
  window: TimeWindow;
  totalMs: number;
  widthPx: number;
  onZoom: (window: TimeWindow) => void;
}

const HEIGHT_PX = 26;

/** The axis above the bars. */
export function TimelineAxis({
  window,
  totalMs,
  widthPx,
  onZoom
}: ITimelineAxisProps): React.ReactElement {
  const svgRef = useRef<SVGSVGElement>(null);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || widthPx <= 0) {
      return;
    }
    const scale = scaleLinear().domain(window).range([0, widthPx]);
    const root = select(svg);
    root.selectAll('*').remove();
    const ticks = Math.max(2, Math.floor(widthPx / 90));
    root
      .append('g')
      .attr('class', 'jp-MlflowTrace-axisTicks')
      .attr('transform', `translate(0, ${HEIGHT_PX - 1})`)
      .call(
        axisTop(scale)
          .ticks(ticks)
          .tickFormat(value => formatDurationMs(Number(value)))
      );
    // Keep the edge labels inside the svg instead of half cut off.
    root.select('.tick:first-of-type text').attr('text-anchor', 'start');
    root.select('.tick:last-of-type text').attr('text-anchor', 'end');
    const brush = brushX<unknown>()
      .extent([
        [0, 0],
        [widthPx, HEIGHT_PX]
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        const selection = event.selection as [number, number] | null;
        if (!selection || !event.sourceEvent) {
          return;
        }
        const [from, to] = selection.map(px => scale.invert(px));
        if (to - from > 0) {
          onZoom([from, to]);
        }
      });
    root.append('g').attr('class', 'jp-MlflowTrace-brush').call(brush);
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const anchorMs = scale.invert(event.offsetX);
      onZoom(
        zoomWindow(window, Math.exp(event.deltaY * 0.002), anchorMs, totalMs)
      );
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [window, totalMs, widthPx, onZoom]);

  return (
    <svg
      ref={svgRef}
      className={CSS.axis}
      width={Math.max(widthPx, 0)}
      height={HEIGHT_PX}
      aria-label="Time axis: drag to zoom, wheel to zoom"
    />
  );
}
