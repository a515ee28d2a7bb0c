import { CommandError, definePlugin, type JsonObject } from '../../src/kernel/index.js';
import { ILayouts, type Layout, type LayoutInfo, type RenderResult } from './tokens.js';
import { LayoutsService, checkChange, type CustomLayoutDoc } from './layouts.service.js';

/** The layout id argument of every layouts.* command. */
function idOf(args: JsonObject | undefined): string {
  const id = args?.id;
  if (typeof id !== 'string' || !id) throw new CommandError('E_INVALID_ARGS', 'id: must name a layout, e.g. letters.user-initiation', { field: 'id' });
  return id;
}
/** What the event log records of a change: which parts, never the text (it may be long; it is in the layout). */
const changed = (args: JsonObject) => ({
  template: typeof args.template === 'string',
  fields: Object.keys((args.fields as JsonObject | undefined) ?? {}),
});

export default definePlugin({
  id: 'layouts',
  description: 'Layouts of letters and certificates: the manual\'s $VARIABLES, custom versions, the layout editor',
  provides: ILayouts,
  async activate(ctx) {
    const layouts = new LayoutsService(ctx.layouts, ctx.collections.open<CustomLayoutDoc>('layouts'));
    await layouts.load();

    ctx.commands.register<undefined, LayoutInfo[]>({
      id: 'layouts.list',
      title: 'List the layouts',
      audit: false,
      handler: () => layouts.list(),
    });
    ctx.commands.register<JsonObject, Layout>({
      id: 'layouts.show',
      title: 'Show a layout',
      audit: false,
      handler: (args) => layouts.get(idOf(args)),
    });
    ctx.commands.register<JsonObject, Layout>({
      id: 'layouts.set',
      title: 'Change a layout',
      audit: (args) => ({ target: idOf(args), details: changed(args) }),
      handler: (args) => layouts.set(idOf(args), checkChange(args)),
    });
    ctx.commands.register<JsonObject, Layout>({
      id: 'layouts.reset',
      title: 'Reset a layout to its default',
      destructive: true,
      audit: (args) => ({ target: idOf(args) }),
      handler: (args) => layouts.reset(idOf(args)),
    });
    ctx.commands.register<JsonObject, RenderResult>({
      id: 'layouts.preview',
      title: 'Preview a layout with sample data',
      audit: false,
      handler: (args) => layouts.preview(idOf(args), checkChange(args)),
    });
    ctx.menus.register({ id: 'layouts', label: 'Layouts', element: 'kw-layouts-view', order: 80 });
    return layouts;
  },
});
