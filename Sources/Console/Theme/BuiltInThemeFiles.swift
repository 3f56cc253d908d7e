// Generated from the files in themes/; do not edit by hand. After changing a theme file, run
//     BACKOFFICE_REGENERATE_THEMES=1 swift test --filter EmbeddedThemeFileTests
// EmbeddedThemeFileTests fails while this file and themes/ differ.

/// The built-in theme files, embedded so the console needs no resources at run time.
enum BuiltInThemeFiles {
    /// themes/default.theme
    static let `default` = #"""
# Backoffice theme: the default, for terminals with a dark background.
# Format: see README.md in this directory. Every role is set here; copy this
# file and change what you like (or start a file with `inherit = default`).

name = Default dark

normal              = default
muted               = bright-black
accent              = cyan, bold
header              = black on cyan, bold
border              = bright-black
border-focused      = cyan
title               = bright-white, bold
selection           = black on cyan, bold
selection-inactive  = white on bright-black
status-bar          = white on color(236)
status-bar-accent   = black on cyan, bold
input               = default on color(235), underline
input-focused       = bright-white on color(238), underline
placeholder         = bright-black, italic
disabled            = bright-black, dim
error               = bright-red, bold
warning             = yellow, bold
success             = green
info                = bright-blue
dialog              = default on color(234)
dialog-border       = cyan, bold
table-header        = bright-white, bold, underline
table-row-alternate = default on color(235)
changed-row         = yellow
required            = bright-red, bold
help                = default
key                 = cyan, bold
match               = black on yellow
link                = bright-blue, underline
scrollbar           = bright-black
banner              = bright-white on magenta, bold

"""#

    /// themes/light.theme
    static let light = #"""
# Backoffice theme for terminals with a light background.
# Format: see README.md in this directory.

name = Light

normal              = default
muted               = color(244)
accent              = blue, bold
header              = bright-white on blue, bold
border              = color(248)
border-focused      = blue
title               = black, bold
selection           = bright-white on blue, bold
selection-inactive  = black on color(252)
status-bar          = black on color(253)
status-bar-accent   = bright-white on blue, bold
input               = default on color(255), underline
input-focused       = black on color(230), underline
placeholder         = color(245), italic
disabled            = color(248)
error               = red, bold
warning             = color(130), bold
success             = green
info                = blue
dialog              = black on color(255)
dialog-border       = blue, bold
table-header        = black, bold, underline
table-row-alternate = default on color(254)
changed-row         = color(130)
required            = red, bold
help                = default
key                 = blue, bold
match               = black on color(229)
link                = blue, underline
scrollbar           = color(248)
banner              = bright-white on magenta, bold

"""#

    /// themes/high-contrast.theme
    static let highContrast = #"""
# Backoffice theme with the strongest contrast: bright text on black, yellow
# focus and selection, bold where it helps. Format: see README.md.

name = High contrast

normal              = bright-white on black
muted               = white on black
accent              = bright-yellow on black, bold
header              = black on bright-white, bold
border              = bright-white on black
border-focused      = bright-yellow on black, bold
title               = bright-white on black, bold, underline
selection           = black on bright-yellow, bold
selection-inactive  = black on white
status-bar          = black on bright-white
status-bar-accent   = black on bright-yellow, bold
input               = bright-white on black, underline
input-focused       = black on bright-cyan, bold
placeholder         = white on black, italic
disabled            = white on black, dim
error               = bright-white on red, bold
warning             = black on bright-yellow, bold
success             = bright-green on black, bold
info                = bright-cyan on black, bold
dialog              = bright-white on black
dialog-border       = bright-yellow on black, bold
table-header        = bright-white on black, bold, underline
table-row-alternate = bright-white on black
changed-row         = bright-yellow on black, bold
required            = bright-red on black, bold
help                = bright-white on black
key                 = bright-yellow on black, bold
match               = black on bright-cyan, bold
link                = bright-cyan on black, underline
scrollbar           = bright-white on black
banner              = black on bright-magenta, bold

"""#

    /// themes/mono.theme
    static let mono = #"""
# Backoffice theme without colours: attributes only. Used when NO_COLOR is
# set (and non-empty) or the terminal has no colours. Format: see README.md.

name = Mono

normal              = default
muted               = dim
accent              = bold
header              = reverse, bold
border              = default
border-focused      = bold
title               = bold
selection           = reverse, bold
selection-inactive  = reverse
status-bar          = reverse
status-bar-accent   = reverse, bold
input               = underline
input-focused       = bold, underline
placeholder         = dim
disabled            = dim
error               = bold
warning             = bold
success             = default
info                = default
dialog              = default
dialog-border       = bold
table-header        = bold, underline
table-row-alternate = default
changed-row         = underline
required            = bold
help                = default
key                 = bold
match               = underline
link                = underline
scrollbar           = reverse
banner              = reverse, bold

"""#
}
