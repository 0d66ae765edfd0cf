#!/usr/bin/env node
// The installed `mlops` command runs the built CLI. This file exists before the build, so a workspace install can link it.
import '../dist/cli.js';
