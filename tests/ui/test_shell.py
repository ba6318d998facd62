#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app shell: the main window appears with its honest empty state and the primary
menu offers Preferences, Keyboard Shortcuts, About and Quit."""
import os
import sys
import time

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

    time.sleep(0.5)
    app.screenshot('shell-empty')

    menu = wharfui.find(win, 'Main Menu', wharfui.BUTTON)
    menu.doActionNamed('click')

    labels = ['Preferences', 'Keyboard Shortcuts', 'About Wharf', 'Quit']
    for label in labels:
        wharfui.find(app.app, label)
    time.sleep(0.3)
    app.screenshot('shell-menu')
    print('ok: window, status page and primary menu found')
finally:
    app.quit()
