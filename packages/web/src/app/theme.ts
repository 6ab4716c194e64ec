import { createTheme, darken, DEFAULT_THEME, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // The darkest shade keeps white text on filled buttons (blue, red, green...) at WCAG AA contrast.
  primaryShade: { light: 9, dark: 9 },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif',
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    // Menus open with focus on their first item (the WAI-ARIA menu button pattern). Mantine's default puts
    // it on a hidden <div role="presentation" tabindex="-1"> inside role="menu" instead, which axe refuses
    // (aria-required-children: a menu holds menu items, not a focusable generic element).
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
  },
});

// Text on "light" fills (badges, the active navigation link) and dimmed text are darkened in the light
// scheme: Mantine's defaults fall below WCAG AA contrast for several colours (yellow, lime, orange...).
const lightVariantText = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors).map(([name, shades]) => [`--mantine-color-${name}-light-color`, darken(shades[9], 0.25)]),
);

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#5c636a', '--mantine-color-error': '#c92a2a', ...lightVariantText },
  dark: { '--mantine-color-dimmed': '#a6a7ab' },
});
