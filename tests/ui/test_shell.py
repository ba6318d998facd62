#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app shell: the main window appears with its honest empty state and the primary
menu offers Preferences, Keyboard Shortcuts, About and Quit."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import wharfui  # noqa: E402

wharfui.require_session()

app = wharfui.App()
try:
    win = app.window()
    assert win.name.startswith('Wharf'), f'window is named {win.name!r}'

    status = wharfui.wait_for(lambda: win.findChild(
        lambda n: n.name == 'No Account Yet', retry=False, requireResult=False), 10,
        'the "No Account Yet" status page')
    assert status is not None

    button = wharfui.find(win, 'Add AWS Account', wharfui.BUTTON)
    assert button is not None

    wharfui.on_screen(status, 10, 'the empty state on screen')
    wharfui.on_screen(button, 10, 'the Add AWS Account button on screen')
    app.screenshot('shell-empty')

    menu = wharfui.find(win, 'Main Menu', wharfui.BUTTON)
    menu.doActionNamed('click')

    labels = ['Preferences', 'Keyboard Shortcuts', 'About Wharf', 'Quit']
    items = [wharfui.find(app.app, label) for label in labels]
    for item in items:
        wharfui.on_screen(item, 10, f'the menu item {item.name!r} on screen')
    app.screenshot('shell-menu')
    print('ok: window, status page and primary menu found')
finally:
    app.quit()
