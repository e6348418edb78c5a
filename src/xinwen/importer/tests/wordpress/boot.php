<?php
// Load the test site's WordPress from the command line, as a request for its home page would.
$_SERVER['HTTP_HOST'] = getenv('WP_HOST');
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['SERVER_PORT'] = explode(':', getenv('WP_HOST'))[1];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
require getenv('WP_ROOT') . '/wp-load.php';
