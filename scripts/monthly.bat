@echo off
rem Run the month for Windows Task Scheduler: validate, build the pack, write open
rem responses, email a draft. Usage: monthly.bat "C:\GAIN\Inspection register.xlsx" [options]
rem Uses the gain-pack in this checkout's .venv if there is one, else the one on PATH.
rem Exit code: 0 done, 1 register errors or delivery failed, 2 a file or setting problem.
setlocal
set "EXE=%~dp0..\.venv\Scripts\gain-pack.exe"
if not exist "%EXE%" set "EXE=gain-pack"
"%EXE%" monthly %*
exit /b %ERRORLEVEL%
