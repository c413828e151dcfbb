// entry.js: the ECharts build that the pages load (static/vendor/echarts/echarts.min.js).
//
// Every chart in the app is a radar built by assessment/chart (go-echarts) and started by
// static/js/app.js, so the build registers only what those options use: the radar series and
// coordinate system, the legend, the tooltip, and graphic elements (app.js draws the radar's
// axis names itself, laid out so that none is cut or covers another). The option's empty "title" and "toolbox"
// objects need no component: ECharts keeps options of unregistered components as plain data.
// SVG only: labels become <text> elements (crisp in print, measurable in browser tests) and
// the canvas renderer is not shipped at all, so app.js must ask for renderer 'svg'.
import * as echarts from 'echarts/core';
import { RadarChart } from 'echarts/charts';
import { GraphicComponent, LegendComponent, RadarComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([RadarChart, RadarComponent, LegendComponent, TooltipComponent, GraphicComponent, SVGRenderer]);

// app.js and the browser tests use the global, as with the full dist build.
window.echarts = echarts;
